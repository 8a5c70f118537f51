"""survey/core/charts"""
