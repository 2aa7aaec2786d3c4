print("tensors")
