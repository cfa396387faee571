zib diff base.xml grams.xml
