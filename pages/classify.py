"""Classify: a placeholder until the real page lands."""
import streamlit as st
st.title("Classify")
st.info("This page is being built: it will show a neuron trained on faces or digits, its learned weights as an image, and the probability it gives a photo you upload.")
