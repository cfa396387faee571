zib validate --dump-tree bodyweight-ok.xml bundle-refs.xml
