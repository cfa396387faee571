zib validate --fail-on warning card003-ok.xml unit002-ok.xml
