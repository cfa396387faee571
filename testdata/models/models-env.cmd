ZIB_MODELS=tiny zib models -v AlcoholUse
