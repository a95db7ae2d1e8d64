import GoTemplate
print("benchmark pending")
