zib convert -q --to cda social.xml 2>/dev/null | zib diff social.xml -
