r"""Recurrent networks of the course sheet (week 6, Exercises 1 and 2).

Exercise 1 (unfolding in time) is [`RNN`][hyperarr.rnn.RNN]: its
[`run`][hyperarr.rnn.RNN.run] is the recurrence, [`unroll`][hyperarr.rnn.RNN.unroll]
the equivalent feedforward network with shared weights, and
[`expand_output`][hyperarr.rnn.RNN.expand_output] the nested formula of eqs. (3)-(13).

Exercise 2 (vanishing and exploding gradients) is the gradient
$dy_T/dW_{in}$: by backpropagation through time (``input_weight_gradient`` of
[`RNN`][hyperarr.rnn.RNN], [`ScheduledLSTM`][hyperarr.rnn.ScheduledLSTM] and
[`LSTM`][hyperarr.rnn.LSTM]), by the closed forms
([`rnn_gradient_closed_form`][hyperarr.rnn.rnn_gradient_closed_form], eq. (21), and
[`lstm_gradient_closed_form`][hyperarr.rnn.lstm_gradient_closed_form], eq. (24)),
and as a measured regime ([`gradient_regime`][hyperarr.rnn.gradient_regime]).
[`gradient_curves`][hyperarr.rnn.gradient_curves] holds the numbers that
[`plot_gradients`][hyperarr.plot.plot_gradients] and ``hyperarr rnn`` show.

Conventions, stated once:

- Shapes: ``W_in`` is ``(n_h, n_in)``, ``W_rec`` is ``(n_h, n_h)``, ``W_out``
  is ``(n_out, n_h)``, ``b_h`` is ``(n_h,)``, ``b_y`` is ``(n_out,)``.  A scalar
  weight is a 1x1 matrix; a 1-D ``W_in`` is one column (one input unit) and a
  1-D ``W_out`` one row (one output unit); a scalar bias is broadcast.
- Time is 1-based as on the course sheet: ``xs[t - 1]`` is $x(t)$, and
  $h(0) = c(0) = 0$.
- $\sigma$ is the logistic sigmoid.  ``activation="tanh"`` replaces it in the hidden
  units (eqs. (2), (14), (16), (17)); the readout $y = \sigma(W_{out} h + b_y)$ of
  eqs. (1), (15), (18) is always logistic, and LSTM gates are always logistic.
- The *input-weight gradient* $dy_t/dW_{in}$ has shape ``(n_out, n_h, n_in)``:
  entry ``[i, j, k]`` is $\partial y_i(t) / \partial W_{in}[j, k]$.
- Invalid parameters or inputs raise `hyperarr.exceptions.ModelError`, a
  `ValueError`.

The modules, in import order: ``recurrent`` (the RNN), ``lstm``,
``closed_forms``, ``regime`` and ``curves``; this package re-exports their
public names.  Where the course sheet's own solutions are inexact, the
[sheet page](../sheet.md) says so, with the numbers.
"""

from hyperarr.rnn.closed_forms import (
    lstm_gradient_closed_form,
    rnn_gradient_closed_form,
    sheet_inputs,
)
from hyperarr.rnn.curves import GradientCurves, gradient_curves
from hyperarr.rnn.lstm import LSTM, Gates, ScheduledLSTM, sheet_gates
from hyperarr.rnn.recurrent import RNN, Expansion, HiddenLayer, OutputLayer, UnrolledRNN
from hyperarr.rnn.regime import GradientRegime, gradient_regime

__all__ = [
    "RNN",
    "UnrolledRNN",
    "HiddenLayer",
    "OutputLayer",
    "Expansion",
    "Gates",
    "ScheduledLSTM",
    "LSTM",
    "sheet_inputs",
    "sheet_gates",
    "rnn_gradient_closed_form",
    "lstm_gradient_closed_form",
    "GradientRegime",
    "gradient_regime",
    "GradientCurves",
    "gradient_curves",
]
