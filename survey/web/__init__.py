"""survey/web"""
