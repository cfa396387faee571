zib extract --section 'Vitale functies,Klachten en diagnoses' --to csv bgz.xml
