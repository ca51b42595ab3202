"""Build a TensorBoard GraphDef from a model's forward pass.

The model runs once with forward hooks recording which module produced which tensor;
then the autograd graph is walked from the outputs: each grad_fn becomes an op node,
named inside the scope of the module that produced it (e.g. `Net/Conv2d[conv1]/ConvBackward0`),
and each parameter (an AccumulateGrad leaf) becomes a node named by its parameter path.
"""
from __future__ import annotations

from typing import Any

from tensorboardX.proto.attr_value_pb2 import AttrValue
from tensorboardX.proto.graph_pb2 import GraphDef
from tensorboardX.proto.node_def_pb2 import NodeDef
from tensorboardX.proto.tensor_shape_pb2 import TensorShapeProto
from tensorboardX.proto.versions_pb2 import VersionDef

from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.node import AccumulateGrad


def _shape_attr(shape: Any) -> AttrValue:
    dims = [TensorShapeProto.Dim(size=int(s)) for s in shape]
    return AttrValue(list=AttrValue.ListValue(shape=[TensorShapeProto(dim=dims)]))


def model_graph(model: Any, example: Any, verbose: bool = False) -> GraphDef:
    """The GraphDef of `model(*example)`."""
    inputs = example if isinstance(example, (tuple, list)) else (example,)
    inputs = [x.detach().requires_grad_(True) if isinstance(x, Tensor) and x.dtype.is_floating_point else x
              for x in inputs]
    root = type(model).__name__
    scope_of_node: dict = {}
    handles = []
    for path, module in model.named_modules():
        scope = "/".join([root] + [f"{type(m).__name__}[{name}]" for name, m in _chain(model, path)])

        def remember(mod, args, output, scope=scope):
            for out in output if isinstance(output, (tuple, list)) else (output,):
                if isinstance(out, Tensor) and out.grad_fn is not None:
                    scope_of_node.setdefault(out.grad_fn, scope)
        handles.append(module.register_forward_hook(remember))
    try:
        with grad_mode._Fixed(True):
            outputs = model(*inputs)
    finally:
        for h in handles:
            h.remove()
    outputs = outputs if isinstance(outputs, (tuple, list)) else (outputs,)

    parameter_names = {id(p): f"{root}/{name}" for name, p in model.named_parameters()}
    input_names = {id(x): f"input/input.{i}" for i, x in enumerate(inputs) if isinstance(x, Tensor)}
    names: dict = {}
    nodes: list[NodeDef] = []
    stack = [o.grad_fn for o in outputs if isinstance(o, Tensor) and o.grad_fn is not None]
    order = []
    seen = set()
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        order.append(node)
        stack.extend(child for child, _ in node.next_functions if child is not None)
    for node in reversed(order):
        if isinstance(node, AccumulateGrad):
            var = node.variable
            names[node] = parameter_names.get(id(var)) or input_names.get(id(var)) or f"{root}/leaf.{len(names)}"
            op = "Parameter" if id(var) in parameter_names else "IO Node"
            nodes.append(NodeDef(name=names[node], op=op, attr={"_output_shapes": _shape_attr(var.shape)}))
        else:
            scope = scope_of_node.get(node, root)
            names[node] = f"{scope}/{node.name()}.{len(names)}"
            inputs_of = [names[c] for c, _ in node.next_functions if c is not None and c in names]
            shape = node._output_meta[0][0] if getattr(node, "_output_meta", None) else ()
            nodes.append(NodeDef(name=names[node], op=node.name(), input=inputs_of,
                                 attr={"_output_shapes": _shape_attr(shape)}))
    for i, out in enumerate(outputs):
        if isinstance(out, Tensor) and out.grad_fn is not None:
            nodes.append(NodeDef(name=f"output/output.{i}", op="IO Node", input=[names[out.grad_fn]],
                                 attr={"_output_shapes": _shape_attr(out.shape)}))
    if verbose:
        for n in nodes:
            print(n.name, n.op, list(n.input))
    return GraphDef(node=nodes, versions=VersionDef(producer=22))


def _chain(model: Any, path: str) -> list:
    """[(name, module), ...] from the model down to the submodule at dotted `path`."""
    chain, module = [], model
    for name in filter(None, path.split(".")):
        module = getattr(module, name) if not name.isdigit() else module[int(name)]
        chain.append((name, module))
    return chain
