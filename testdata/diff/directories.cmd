zib diff side-a side-b
