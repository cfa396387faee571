zib diff --ignore Lichaamsgewicht --ignore Patient base.xml changed-bl.xml
