zib validate bad-card.xml
