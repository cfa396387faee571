zib extract --summary --format json bgz.xml
