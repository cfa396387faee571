zib models AlcoholGebruik Probleem
