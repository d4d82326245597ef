"""Squared error vs log-loss: a placeholder until the real page lands."""
import streamlit as st
st.title("Squared error vs log-loss")
st.info("This page is being built: it will show the two cost surfaces side by side, one bumpy with plateaus, one a convex bowl.")
