zib validate -v --set set
