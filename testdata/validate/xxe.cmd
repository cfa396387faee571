zib validate xxe.xml
