zib diff base.xml garbage.txt
