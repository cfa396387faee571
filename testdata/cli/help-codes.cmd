zib help codes | grep -E '^ZIB-(XML|DOC)-'
