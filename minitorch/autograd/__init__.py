"""Automatic differentiation: the graph, the engine, grad mode, custom Functions, checks."""
from .anomaly_mode import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .custom_function import Function
from .engine import backward, grad
from .explain import explain_backward, step_backward
from .dot import make_dot
from .check import check_graph, record_inputs
from .node import AccumulateGrad, BackwardNode, Node
from . import functional, graph, profiler
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .variable import Variable

__all__ = ["Function", "Variable", "backward", "grad", "no_grad", "enable_grad", "set_grad_enabled",
           "inference_mode", "is_grad_enabled", "detect_anomaly", "set_detect_anomaly",
           "is_anomaly_enabled", "gradcheck", "gradgradcheck", "GradcheckError", "Node",
           "AccumulateGrad", "BackwardNode", "functional", "graph", "profiler", "explain_backward", "step_backward", "make_dot", "check_graph", "record_inputs"]
