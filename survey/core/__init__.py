"""survey/core"""
