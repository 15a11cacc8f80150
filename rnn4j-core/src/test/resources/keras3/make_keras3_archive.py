"""Writes keras3_lstm.keras the way Keras 3 lays out an archive (see testdata/keras-real/README.md), with h5py
(the HDF5 library Keras uses), and keras3_lstm_expected.npy = a float64 NumPy forward pass of the same model on
keras3_lstm_input.npy. Run with any Python that has numpy and h5py: python3 make_keras3_archive.py"""
import io, json, zipfile
import numpy as np
import h5py

rng = np.random.default_rng(3)
T, F, U, D = 5, 3, 4, 2
W = rng.normal(0, 0.5, (F, 4 * U)).astype(np.float32)
R = rng.normal(0, 0.5, (U, 4 * U)).astype(np.float32)
b = rng.normal(0, 0.5, (4 * U,)).astype(np.float32)
K = rng.normal(0, 0.5, (U, D)).astype(np.float32)
c = rng.normal(0, 0.5, (D,)).astype(np.float32)
x = rng.normal(0, 2.0, (6, T, F)).astype(np.float32)

def ser(module, cls, config, build=None):
    d = {"module": module, "class_name": cls, "config": config, "registered_name": None}
    if build is not None:
        d["build_config"] = build
    return d

dtype = ser("keras", "DTypePolicy", {"name": "float32"})
init = lambda cls, cfg: ser("keras.initializers", cls, cfg)
config = ser("keras", "Sequential", {
    "name": "sequential", "trainable": True, "dtype": dtype,
    "layers": [
        ser("keras.layers", "InputLayer", {"batch_shape": [None, T, F], "dtype": "float32", "sparse": False,
                                           "ragged": False, "name": "input_layer", "optional": False}),
        ser("keras.layers", "LSTM", {
            "name": "lstm", "trainable": True, "dtype": dtype, "return_sequences": False, "return_state": False,
            "go_backwards": False, "stateful": False, "unroll": False, "zero_output_for_mask": False,
            "units": U, "activation": "tanh", "recurrent_activation": "hard_sigmoid", "use_bias": True,
            "kernel_initializer": init("GlorotUniform", {"seed": None}),
            "recurrent_initializer": init("Orthogonal", {"seed": None, "gain": 1.0}),
            "bias_initializer": init("Zeros", {}), "unit_forget_bias": True,
            "kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
            "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0, "seed": None},
            {"input_shape": [None, T, F]}),
        ser("keras.layers", "Dense", {
            "name": "dense", "trainable": True, "dtype": dtype, "units": D, "activation": "linear",
            "use_bias": True, "kernel_initializer": init("GlorotUniform", {"seed": None}),
            "bias_initializer": init("Zeros", {}), "kernel_regularizer": None, "bias_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None},
            {"input_shape": [None, U]}),
    ],
    "build_input_shape": [None, T, F]}, {"input_shape": [None, T, F]})
config["compile_config"] = {
    "optimizer": ser("keras.optimizers", "Adam", {"name": "adam", "learning_rate": 0.0010000000474974513,
        "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None, "use_ema": False,
        "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
        "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}),
    "loss": "mean_squared_error", "loss_weights": None, "metrics": None, "weighted_metrics": None,
    "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}

h5 = io.BytesIO()
with h5py.File(h5, "w") as f:
    f.create_group("layers/lstm/vars").attrs["name"] = "lstm"
    cell = f.create_group("layers/lstm/cell/vars")
    cell.attrs["name"] = "lstm_cell"
    for i, v in enumerate([W, R, b]):
        cell[str(i)] = v
    dense = f.create_group("layers/dense/vars")
    dense.attrs["name"] = "dense"
    for i, v in enumerate([K, c]):
        dense[str(i)] = v
    opt = f.create_group("optimizer/vars")
    opt.attrs["name"] = "adam"
    opt["0"] = np.int64(3)
    opt["1"] = np.float32(0.001)
    k = 2
    for v in [W, R, b, K, c]:
        opt[str(k)] = np.full(v.shape, 0.01, np.float32); k += 1  # momentum
        opt[str(k)] = np.full(v.shape, 0.02, np.float32); k += 1  # velocity
    f.create_group("vars").attrs["name"] = "sequential"

with zipfile.ZipFile("keras3_lstm.keras", "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.14.1", "date_saved": "2026-01-01@00:00:00"}))
    z.writestr("config.json", json.dumps(config))
    z.writestr("model.weights.h5", h5.getvalue())

def hard_sigmoid3(z):
    return np.clip(z / 6.0 + 0.5, 0.0, 1.0)

xd = x.astype(np.float64)
h = np.zeros((x.shape[0], U)); cs = np.zeros((x.shape[0], U))
for t in range(T):
    z = xd[:, t] @ W + h @ R + b
    i, f_, g, o = z[:, :U], z[:, U:2*U], z[:, 2*U:3*U], z[:, 3*U:]
    cs = hard_sigmoid3(f_) * cs + hard_sigmoid3(i) * np.tanh(g)
    h = hard_sigmoid3(o) * np.tanh(cs)
np.save("keras3_lstm_input.npy", x)
np.save("keras3_lstm_expected.npy", h @ K + c)
