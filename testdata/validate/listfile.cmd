zib validate @list.txt
