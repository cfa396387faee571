zib models --format json TobaccoUse
