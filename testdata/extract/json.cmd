zib extract --zib Lichaamsgewicht --to json bgz.xml quoting.xml
