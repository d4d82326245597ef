"""Cost basin: a placeholder until the real page lands."""
import streamlit as st
st.title("Cost basin")
st.info("This page is being built: it will show J(w, b) of a real dataset as a 3D basin, and a ball rolling, bouncing or flying off as you change the learning rate.")
