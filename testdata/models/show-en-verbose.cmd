zib models -v alcoholuse
