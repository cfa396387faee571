zib frobnicate
