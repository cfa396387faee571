zib --format json models Lichaamsgewicht
