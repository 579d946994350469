"""三级便民服务: the district–town–village office hierarchy and village points filing for villagers."""
