"""SACall's and CATCaller's encoder forward, as a trace can follow it: the same modules and steps,
but the padding mask computed with tensor operations. Upstream builds it in a Python loop over the
batch (`torch.tensor([[0] * v.item() + ...])`), which a trace freezes to the example's lengths, so an
exported graph would mask every window as the example was masked. Used only to export; the parity
check then compares the exported graph with upstream's own forward."""


def _conv_length(encoder, length):
    return (length + 2 * encoder.padding - encoder.dilation * (encoder.kernel_size - 1) - 1) / encoder.stride + 1


def traceable_encode(torch, encoder, signal, signal_lengths, projection=None):
    """encoder(signal, signal_lengths) of upstream's two encoders -> (logits, output lengths); their
    two strided convolutions shorten the window and each length, truncated as upstream does."""
    max_len = int(_conv_length(encoder, int(_conv_length(encoder, signal.shape[1]))))
    lengths = _conv_length(encoder, _conv_length(encoder, signal_lengths).int()).int()
    positions = torch.arange(max_len, device=signal.device)
    src_mask = (positions.unsqueeze(0) >= lengths.unsqueeze(1)).to(torch.uint8).unsqueeze(-2)
    embedded = encoder.src_embed(signal.transpose(-1, -2)).transpose(-1, -2)
    output = encoder.position_encoding(embedded)
    for layer in encoder.stack_layers:
        output, _attention = layer(output, src_mask)
    output = encoder.layer_norm(output)
    if projection is not None:
        output = projection(output)
    return output, lengths
