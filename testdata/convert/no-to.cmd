zib convert patient.xml
