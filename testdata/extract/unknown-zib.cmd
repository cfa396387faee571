zib extract --zib NoSuchZib bgz.xml
