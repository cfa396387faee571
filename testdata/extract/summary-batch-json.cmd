zib extract --summary --format json bgz.xml quoting.xml
