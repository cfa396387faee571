zib extract --zib Verrichting,Zorgverlener bgz.xml
