zib models AlcoholGebruik
