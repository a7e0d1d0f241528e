"""The one function each PyTorch adapter runs on a batch of windows, as a torch module: windows
(N x samples, float32) -> per-step class probabilities (N x steps x classes, float32).

The PyTorch path calls the module directly, and an engine (edgecall_runner.engines) exports this same
module to ONNX, so both compute one function and a parity check compares like with like."""


def rodan_probabilities(torch, network, dtype):
    """RODAN's network takes N x 1 x samples and gives log-probabilities as steps x N x classes."""

    class RodanProbabilities(torch.nn.Module):
        def __init__(self):
            super(RodanProbabilities, self).__init__()
            self.network = network

        def forward(self, windows):
            log_probs = self.network(windows.unsqueeze(1).to(dtype))
            return log_probs.permute(1, 0, 2).float().exp()

    return RodanProbabilities()


def transformer_probabilities(torch, network, dtype, pad_value, classes, encode=None):
    """SACall's and CATCaller's encoders take N x samples x 1 and each window's unpadded length, and
    give logits and each window's output length; steps past that length decode as blank. `encode`
    (network, signal, lengths) replaces `network(signal, lengths)`: the traceable form an export needs,
    given the module's own network so that a copy of the module runs on its copy."""

    class TransformerProbabilities(torch.nn.Module):
        def __init__(self):
            super(TransformerProbabilities, self).__init__()
            self.network = network
            blank = torch.zeros(classes)
            blank[0] = 1.0
            self.register_buffer("blank", blank)

        def forward(self, windows):
            lengths = windows.ne(pad_value).sum(1)
            signal = windows.unsqueeze(2).to(dtype)
            output, output_lengths = self.network(signal, lengths) if encode is None else encode(self.network, signal, lengths)
            probabilities = output.float().softmax(2)
            steps = torch.arange(probabilities.shape[1], device=probabilities.device)
            past_end = (steps.unsqueeze(0) >= output_lengths.unsqueeze(1)).unsqueeze(2)
            return torch.where(past_end, self.blank, probabilities)

    return TransformerProbabilities()


def torch_forward(torch, module, device):
    """The module as a NumPy function, without gradients: what `run_windows` calls."""

    def forward(windows):
        with torch.no_grad():
            return module(torch.from_numpy(windows).to(device)).cpu().numpy()

    return forward
