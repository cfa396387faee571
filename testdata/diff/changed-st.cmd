zib diff base.xml changed-st.xml
