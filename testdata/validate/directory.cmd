zib validate dir
