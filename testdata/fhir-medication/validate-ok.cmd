zib validate -v --fail-on warning mp-medicationagreement-01.xml mp-administrationagreement-01.json mp-medicationuse-01.xml
