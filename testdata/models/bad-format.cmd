zib models --format xml
