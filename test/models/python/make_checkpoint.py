"""Builds a model's network from its upstream module, with random parameters (fixed seed), and saves it
in the layout that model's upstream training script writes, so the adapter loads it as it would load
the published weights. Usage: make_checkpoint.py MODEL UPSTREAM_DIR OUT_FILE.

The layouts follow each upstream's own save call at the commit the image pins:
- RODAN model.py get_config: {"state_dict": ..., "config": the config dict, its "arch" the layer table as text};
- SACall ctc_train.py: {"model": state_dict, "settings": argparse.Namespace, "epoch"};
- CATCaller train/serial/train_litetr.py: the same keys, saved from a DataParallel model, so every
  parameter name starts with "module."."""
import argparse
import ast
import os
import sys

import torch

SEED = 20261129


def rodan(root):
    sys.path.insert(0, root)
    import model as upstream

    config = dict(upstream.defaultconfig)
    with open(os.path.join(root, "rnaarch")) as handle:
        config["arch"] = handle.read()
    network = upstream.network(config=upstream.objectview(config), arch=ast.literal_eval(config["arch"]), seqlen=config["seqlen"])
    return {"state_dict": network.state_dict(), "config": config}


def transformer_settings(d_model, d_ff):
    # The training scripts' argparse defaults for the network's shape; label_vocab_size 6 is
    # blank, A, T, C, G and the padding label.
    return argparse.Namespace(d_model=d_model, d_ff=d_ff, n_head=8, n_layers=6, dropout=0.1, label_vocab_size=6)


def sacall(root):
    sys.path.insert(0, root)
    from ctc.ctc_encoder import Encoder

    settings = transformer_settings(256, 1024)

    class Model(torch.nn.Module):
        # The same two attributes as upstream call.py's Model, which cannot be imported without ctcdecode.
        def __init__(self):
            super(Model, self).__init__()
            self.encoder = Encoder(d_model=settings.d_model, d_ff=settings.d_ff, n_head=settings.n_head,
                                   num_encoder_layers=settings.n_layers, dropout=settings.dropout)
            self.final_proj = torch.nn.Linear(settings.d_model, settings.label_vocab_size)

    return {"model": Model().state_dict(), "settings": settings, "epoch": 0}


def catcaller(root):
    # As the adapter does: train/ first, then generate_dataset/ (constants) and the root (the kernels).
    sys.path[:0] = [os.path.join(root, "train"), os.path.join(root, "generate_dataset"), root]
    from litetr_encoder import LiteTransformerEncoder

    settings = transformer_settings(512, 512)
    network = LiteTransformerEncoder(d_model=settings.d_model, d_ff=settings.d_ff, n_head=settings.n_head,
                                     num_encoder_layers=settings.n_layers, label_vocab_size=settings.label_vocab_size,
                                     dropout=settings.dropout)
    state = torch.nn.DataParallel(network).state_dict()
    return {"model": state, "settings": settings, "epoch": 0}


BUILDERS = {"rodan": rodan, "sacall": sacall, "catcaller": catcaller}


def main():
    model, root, out = sys.argv[1:4]
    torch.manual_seed(SEED)
    checkpoint = BUILDERS[model](root)
    torch.save(checkpoint, out)
    print("{}: {} tensors saved to {}".format(model, len(checkpoint.get("state_dict") or checkpoint["model"]), out))


if __name__ == "__main__":
    main()
