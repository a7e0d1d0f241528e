"""Engines other than the model's own framework: the network exported to ONNX and run by ONNX Runtime
(fp32, or int8 by static quantization), or built into a TensorRT engine on the board; each checked
against the model it came from before it is used (parity.py)."""
