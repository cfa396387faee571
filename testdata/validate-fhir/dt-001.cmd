zib validate dt-001-bad.xml dt-001-bad.json dt-001-bad-time.json dt-001-bad-day.xml
