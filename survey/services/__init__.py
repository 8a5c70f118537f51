"""survey/services"""
