"""The kernels of a plan, built from their shapes: each with its inputs, the function to time,
the tensors to differentiate for a backward pass, and a check against a plain reference.

Kernel names and shape fields are those of `roofline plan` (src/cost/op.ts, `Kernel`).
"""
import math

import torch
import torch.nn.functional as F

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}
# Largest error allowed, relative to the largest reference value, per compute dtype.
TOLERANCE = {torch.bfloat16: 3e-2, torch.float16: 5e-3, torch.float32: 1e-4}
RG_LRU_C = 8.0  # a_t = a^(c·r_t), [G] eq. 3
RMS_EPS = 1e-6
CHECK_ROWS = 64  # rows of a large output compared with the reference


class Unsupported(Exception):
    """The kernel cannot run here (dtype, device or library); the reason is recorded."""


class Built:
    def __init__(self, implementation, forward, leaves, check):
        self.implementation = implementation
        self.forward = forward
        self.leaves = leaves
        self.check = check


def _rand(shape, dtype, device, scale=1.0, grad=False):
    t = (torch.randn(*shape, device=device, dtype=torch.float32) * scale).to(dtype)
    if grad:
        t.requires_grad_(True)
    return t


def _error(out, ref):
    out = out.detach().double()
    ref = ref.detach().double()
    scale = max(ref.abs().max().item(), 1e-6)
    return (out - ref).abs().max().item() / scale


def _checker(pairs, dtype):
    """pairs: a function returning [(output, reference), ...]."""
    def check():
        error = max(_error(o, r) for o, r in pairs())
        return error, error <= TOLERANCE[dtype]
    return check


def _ensure_tuple(x):
    return x if isinstance(x, tuple) else (x,)


# --- matmul ---------------------------------------------------------------------------------

def linear(shape, dtype, device, grad, implementation):
    m, k, n = int(shape["m"]), int(shape["k"]), int(shape["n"])
    x = _rand((m, k), dtype, device, grad=grad)
    w = _rand((n, k), dtype, device, scale=1 / math.sqrt(k), grad=grad)
    b = _rand((n,), dtype, device, grad=grad) if shape.get("bias") else None
    cap = shape.get("softcap")

    def forward():
        y = F.linear(x, w, b)
        return torch.tanh(y / cap) * cap if cap else y

    rows = slice(0, min(m, CHECK_ROWS))

    def reference():  # on the first rows only: the check stays cheap for large m
        y = x[rows].double() @ w.double().t() + (b.double() if b is not None else 0)
        return torch.tanh(y / cap) * cap if cap else y

    leaves = [t for t in (x, w, b) if t is not None]
    return Built("torch.nn.functional.linear", forward, leaves, _checker(lambda: [(forward()[rows], reference())], dtype))


def rglru_gates(shape, dtype, device, grad, implementation):
    """r = σ(W_a x + b_a), i = σ(W_x x + b_x) with block-diagonal W; returns a_t and the
    normalised input sqrt(1 − a_t²)·(i_t ⊙ x_t) ([G] eqs. 1–4)."""
    m, width, blocks = int(shape["m"]), int(shape["width"]), int(shape["blocks"])
    bw = width // blocks
    x = _rand((m, width), dtype, device, grad=grad)
    wa = _rand((blocks, bw, bw), dtype, device, scale=1 / math.sqrt(bw), grad=grad)
    wx = _rand((blocks, bw, bw), dtype, device, scale=1 / math.sqrt(bw), grad=grad)
    ba = _rand((width,), dtype, device, grad=grad)
    bx = _rand((width,), dtype, device, grad=grad)
    lam = _rand((width,), torch.float32, device, grad=grad)

    def compute(x, wa, wx, ba, bx, lam, dt):
        xb = x.to(dt).view(m, blocks, bw)
        gate_a = torch.einsum("mgi,gij->mgj", xb, wa.to(dt)).reshape(m, width) + ba.to(dt)
        gate_x = torch.einsum("mgi,gij->mgj", xb, wx.to(dt)).reshape(m, width) + bx.to(dt)
        r = torch.sigmoid(gate_a.float())
        i = torch.sigmoid(gate_x.float())
        log_a = -RG_LRU_C * F.softplus(-lam.float()) * r
        a = torch.exp(log_a)
        multiplier = torch.sqrt(1 - torch.exp(2 * log_a))
        normalised = x.float() * i * multiplier
        return a.to(x.dtype), normalised.to(x.dtype)

    forward = lambda: compute(x, wa, wx, ba, bx, lam, dtype)  # noqa: E731
    reference = lambda: compute(x, wa, wx, ba, bx, lam, torch.float32)  # noqa: E731
    check = _checker(lambda: list(zip(forward(), reference())), dtype)  # fp32 einsum: cheap enough at every size
    return Built("torch einsum (block-diagonal)", forward, [x, wa, wx, ba, bx, lam], check)


# --- elementwise ----------------------------------------------------------------------------

def rmsnorm(shape, dtype, device, grad, implementation):
    tokens, width = int(shape["tokens"]), int(shape["width"])
    x = _rand((tokens, width), dtype, device, grad=grad)
    scale = _rand((width,), dtype, device, grad=grad)

    def forward():
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + RMS_EPS) * scale.float()).to(dtype)

    def reference():
        xd = x.double()
        return xd / torch.sqrt(xd.pow(2).mean(-1, keepdim=True) + RMS_EPS) * scale.double()

    return Built("torch (fp32 inside)", forward, [x, scale], _checker(lambda: [(forward(), reference())], dtype))


def _binary(shape, dtype, device, grad, op, reference_op, name):
    n = int(shape.get("elements", shape.get("tokens", 1) * shape.get("width", 1)))
    a = _rand((n,), dtype, device, grad=grad)
    b = _rand((n,), dtype, device, grad=grad)
    forward = lambda: op(a, b)  # noqa: E731
    check = _checker(lambda: [(forward(), reference_op(a.double(), b.double()))], dtype)
    return Built(name, forward, [a, b], check)


def residual_add(shape, dtype, device, grad, implementation):
    return _binary(shape, dtype, device, grad, torch.add, torch.add, "torch.add")


def product(shape, dtype, device, grad, implementation):
    return _binary(shape, dtype, device, grad, torch.mul, torch.mul, "torch.mul")


def _gelu_tanh(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x.pow(3))))


def gelu(shape, dtype, device, grad, implementation):
    n = int(shape["elements"])
    x = _rand((n,), dtype, device, grad=grad)
    forward = lambda: F.gelu(x, approximate="tanh")  # noqa: E731
    return Built("torch gelu(tanh)", forward, [x], _checker(lambda: [(forward(), _gelu_tanh(x.double()))], dtype))


def gelu_and_product(shape, dtype, device, grad, implementation):
    return _binary(shape, dtype, device, grad, lambda a, b: F.gelu(a, approximate="tanh") * b,
                   lambda a, b: _gelu_tanh(a) * b, "torch gelu(tanh) * y")


def silu_and_product(shape, dtype, device, grad, implementation):
    return _binary(shape, dtype, device, grad, lambda a, b: F.silu(a) * b,
                   lambda a, b: a * torch.sigmoid(a) * b, "torch silu * y")


def conv1d(shape, dtype, device, grad, implementation):
    """Depthwise causal Conv1D over time; in decode, one step with the last k−1 inputs as state."""
    batch, tokens, width, k = int(shape["batch"]), int(shape["tokens"]), int(shape["width"]), int(shape["convWidth"])
    cached = int(shape.get("cachedTokens", 0))
    x = _rand((batch, tokens, width), dtype, device, grad=grad)
    w = _rand((k, width), dtype, device, scale=1 / math.sqrt(k), grad=grad)
    b = _rand((width,), dtype, device, grad=grad)
    state = _rand((batch, k - 1, width), dtype, device) if cached > 0 else None

    def forward():
        if state is not None:
            window = torch.cat([state, x], dim=1)[:, -k:]
            return (window * w).sum(dim=1, keepdim=True) + b
        y = F.conv1d(x.transpose(1, 2), w.t().unsqueeze(1), b, padding=k - 1, groups=width)
        return y[..., :tokens].transpose(1, 2)

    def reference():
        xd = torch.cat([state.double() if state is not None else torch.zeros(batch, k - 1, width, dtype=torch.float64, device=device), x.double()], 1)
        out = b.double().expand(batch, tokens, width).clone()
        for tap in range(k):  # output t sees inputs t−(k−1) … t
            out += xd[:, tap:tap + tokens] * w.double()[tap]
        return out

    name = "torch cat+sum (one step)" if state is not None else "torch conv1d (groups=width)"
    return Built(name, forward, [x, w, b], _checker(lambda: [(forward(), reference())], dtype))


def rope(shape, dtype, device, grad, implementation):
    tokens, heads, kv, hd = int(shape["tokens"]), int(shape["heads"]), int(shape["kvHeads"]), int(shape["headDim"])
    rotated = int(round(hd * float(shape.get("ropeFraction", 1.0)))) // 2 * 2
    q = _rand((tokens, heads, hd), dtype, device, grad=grad)
    k = _rand((tokens, kv, hd), dtype, device, grad=grad)
    positions = torch.arange(tokens, device=device, dtype=torch.float32)
    inv = 1.0 / (10000 ** (torch.arange(0, rotated, 2, device=device, dtype=torch.float32) / max(rotated, 1)))
    angles = positions[:, None] * inv[None, :]
    cos, sin = angles.cos()[:, None, :], angles.sin()[:, None, :]

    def apply(t, cos, sin):
        first, second = t[..., : rotated // 2], t[..., rotated // 2: rotated]
        rest = t[..., rotated:]
        return torch.cat([first * cos - second * sin, second * cos + first * sin, rest], dim=-1)

    forward = lambda: (apply(q, cos.to(dtype), sin.to(dtype)), apply(k, cos.to(dtype), sin.to(dtype)))  # noqa: E731
    reference = lambda: (apply(q.double(), cos.double(), sin.double()), apply(k.double(), cos.double(), sin.double()))  # noqa: E731
    return Built("torch rotate-half", forward, [q, k], _checker(lambda: list(zip(forward(), reference())), dtype))


def embedding(shape, dtype, device, grad, implementation):
    tokens, width, vocab = int(shape["tokens"]), int(shape["width"]), int(shape["vocab"])
    table = _rand((vocab, width), dtype, device, grad=grad)
    ids = torch.randint(0, vocab, (tokens,), device=device)
    factor = math.sqrt(width) if shape.get("scale") else 1.0
    forward = lambda: F.embedding(ids, table) * factor  # noqa: E731
    return Built("torch embedding", forward, [table], _checker(lambda: [(forward(), table.double()[ids] * factor)], dtype))


def cross_entropy(shape, dtype, device, grad, implementation):
    tokens, vocab = int(shape["tokens"]), int(shape["vocab"])
    logits = _rand((tokens, vocab), dtype, device, grad=grad)
    targets = torch.randint(0, vocab, (tokens,), device=device)
    forward = lambda: F.cross_entropy(logits.float(), targets)  # noqa: E731
    reference = lambda: F.cross_entropy(logits.double(), targets)  # noqa: E731
    return Built("torch cross_entropy (fp32)", forward, [logits], _checker(lambda: [(forward(), reference())], torch.float32))


# --- the RG-LRU scan ------------------------------------------------------------------------

def _scan_naive(a, b, h0):
    h = h0
    ys = []
    for t in range(a.shape[1]):
        h = a[:, t].float() * h + b[:, t].float()
        ys.append(h)
    return torch.stack(ys, dim=1)


def _scan_associative(a, b):
    """Work-efficient parallel prefix of (a, b) pairs, h_{-1} = 0: combine neighbours, recurse on
    the pairs, then fix the even positions. About two combines per element."""
    T = a.shape[1]
    if T == 1:
        return b
    if T % 2:
        a = torch.cat([a, torch.ones_like(a[:, :1])], 1)
        b = torch.cat([b, torch.zeros_like(b[:, :1])], 1)
    a_even, a_odd = a[:, 0::2], a[:, 1::2]
    b_even, b_odd = b[:, 0::2], b[:, 1::2]
    odd = _scan_associative(a_odd * a_even, a_odd * b_even + b_odd)  # prefixes ending at odd positions
    even = torch.cat([b_even[:, :1], a_even[:, 1:] * odd[:, :-1] + b_even[:, 1:]], 1)
    return torch.stack([even, odd], dim=2).reshape(a.shape[0], -1, a.shape[2])[:, :T]


def scan(shape, dtype, device, grad, implementation):
    batch, tokens, width = int(shape["batch"]), int(shape["tokens"]), int(shape["width"])
    cached = int(shape.get("cachedTokens", 0))
    a = torch.rand(batch, tokens, width, device=device).mul(0.5).add(0.45).to(dtype)  # decays in (0.45, 0.95)
    b = _rand((batch, tokens, width), dtype, device, scale=0.1)
    if grad:
        a.requires_grad_(True)
        b.requires_grad_(True)
    h0 = _rand((batch, width), torch.float32, device) if cached > 0 else torch.zeros(batch, width, device=device)

    if tokens == 1:
        name = "one step (torch)"
        forward = lambda: (a[:, 0].float() * h0 + b[:, 0].float()).unsqueeze(1)  # noqa: E731
    elif implementation == "naive":
        name = "naive (torch loop, h through memory)"
        forward = lambda: _scan_naive(a, b, h0)  # noqa: E731
    elif implementation == "associative":
        if cached > 0:
            raise Unsupported("associative scan from a non-zero state is not implemented")
        name = "associative (torch, fp32)"
        forward = lambda: _scan_associative(a.float(), b.float())  # noqa: E731
    elif implementation == "fused":
        if device.type != "cuda":
            raise Unsupported("the fused scan is a Triton kernel: it needs CUDA")
        if grad:
            raise Unsupported("the fused Triton scan has no backward kernel")
        from triton_scan import fused_linear_scan
        name = "fused (Triton, h in registers)"
        forward = lambda: fused_linear_scan(a, b, h0)  # noqa: E731
    else:
        raise Unsupported(f"unknown scan implementation {implementation!r}")

    def reference():
        return _scan_naive(a.double(), b.double(), h0.double())

    return Built(name, forward, [a, b], _checker(lambda: [(forward(), reference())], dtype))


# --- attention ------------------------------------------------------------------------------

def _masked_scores_reference(q, k, v, query_positions, window):
    """Dense fp64 attention; query i sits at query_positions[i], keys at 0, 1, …"""
    scores = torch.einsum("bhqd,bhkd->bhqk", q.double(), k.double()) / math.sqrt(q.shape[-1])
    qpos = query_positions[:, None]
    kpos = torch.arange(k.shape[2], device=q.device)[None, :]
    allowed = kpos <= qpos
    if window:
        allowed &= kpos >= qpos - window
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.einsum("bhqk,bhkd->bhqd", scores.softmax(-1), v.double())


def _blockwise(q, k, v, first_position, window, block=128):
    """Flash-style attention in PyTorch: each query block meets only the keys its mask allows
    (causal, and within the window for local layers), so the work is the pairs inside the mask
    plus block padding."""
    out = torch.empty_like(q)
    queries = q.shape[2]
    scale = 1 / math.sqrt(q.shape[-1])
    for start in range(0, queries, block):
        end = min(start + block, queries)
        qpos_first, qpos_last = first_position + start, first_position + end - 1
        key_from = max(0, qpos_first - window) if window else 0
        key_to = qpos_last + 1
        scores = torch.einsum("bhqd,bhkd->bhqk", q[:, :, start:end], k[:, :, key_from:key_to]).float() * scale
        qpos = torch.arange(qpos_first, qpos_last + 1, device=q.device)[:, None]
        kpos = torch.arange(key_from, key_to, device=q.device)[None, :]
        allowed = kpos <= qpos
        if window:
            allowed &= kpos >= qpos - window
        scores = scores.masked_fill(~allowed, float("-inf"))
        out[:, :, start:end] = torch.einsum("bhqk,bhkd->bhqd", scores.softmax(-1).to(q.dtype), v[:, :, key_from:key_to])
    return out


def _dense(q, k, v, first_position, window):
    """What the reference code executes: every score of the rectangle, in fp32, masked, softmax."""
    scores = torch.einsum("bhqd,bhkd->bhqk", q, k).float() / math.sqrt(q.shape[-1])
    qpos = torch.arange(q.shape[2], device=q.device)[:, None] + first_position
    kpos = torch.arange(k.shape[2], device=q.device)[None, :]
    allowed = kpos <= qpos
    if window:
        allowed &= kpos >= qpos - window
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.einsum("bhqk,bhkd->bhqd", scores.softmax(-1).to(q.dtype), v)


def attention(shape, dtype, device, grad, implementation):
    batch, queries = int(shape["batch"]), int(shape["queries"])
    heads, kv_heads, hd = int(shape["heads"]), int(shape["kvHeads"]), int(shape["headDim"])
    window = int(shape.get("window", 0))
    keys = int(shape["keysRead"])
    # Keys are the positions the kernel reads; the queries are the last `queries` of them
    # (prefill: all of them; decode: the newest). In a local decode the keys are the window.
    first_position = keys - queries
    q = _rand((batch, heads, queries, hd), dtype, device, grad=grad)
    k_small = _rand((batch, kv_heads, keys, hd), dtype, device, grad=grad)
    v_small = _rand((batch, kv_heads, keys, hd), dtype, device, grad=grad)
    group = heads // kv_heads

    def expanded(t):  # share each KV head with its query heads (a view, no copy)
        return t[:, :, None].expand(batch, kv_heads, group, keys, hd).reshape(batch, heads, keys, hd)

    sdpa = getattr(F, "scaled_dot_product_attention", None)
    if implementation == "dense":
        name = "dense masked (fp32 scores)"
        forward = lambda: _dense(q, expanded(k_small), expanded(v_small), first_position, window)  # noqa: E731
    elif sdpa is not None and (not window or keys <= window + 1) and (queries == keys or queries == 1):
        name = "torch scaled_dot_product_attention"
        causal = queries > 1
        forward = lambda: sdpa(q, expanded(k_small), expanded(v_small), is_causal=causal)  # noqa: E731
    else:
        name = "blockwise (torch, only pairs inside the mask)"
        forward = lambda: _blockwise(q, expanded(k_small), expanded(v_small), first_position, window)  # noqa: E731

    # Reference on at most 64 query rows (first and last), so checking long sequences stays cheap.
    rows = sorted(set(list(range(min(32, queries))) + list(range(max(0, queries - 32), queries))))

    def pairs():
        positions = torch.tensor(rows, device=device) + first_position
        ref = _masked_scores_reference(q[:, :, rows], expanded(k_small), expanded(v_small), positions, window)
        return [(forward()[:, :, rows], ref)]

    return Built(name, forward, [q, k_small, v_small], _checker(pairs, dtype))


# --- optimizer ------------------------------------------------------------------------------

def adam(shape, dtype, device, grad, implementation):
    params = int(shape["params"])
    weight = torch.zeros(params, dtype=torch.float32, device=device, requires_grad=True)
    weight.grad = torch.randn(params, device=device) * 1e-3
    kwargs = {"fused": True} if device.type == "cuda" and "fused" in torch.optim.Adam.__init__.__code__.co_varnames else {}
    optimizer = torch.optim.Adam([weight], lr=1e-3, **kwargs)

    def check():
        before = weight.detach().clone()
        optimizer.step()
        moved = (weight.detach() - before).abs().max().item()
        return (0.0, True) if 0 < moved <= 1.1e-3 else (moved, False)  # Adam moves each weight by at most ~lr

    return Built("torch.optim.Adam" + (" (fused)" if kwargs else ""), optimizer.step, [], check)


BUILDERS = {
    "linear": linear, "rglru-gates": rglru_gates, "rmsnorm": rmsnorm, "residual-add": residual_add,
    "product": product, "gelu": gelu, "gelu-and-product": gelu_and_product, "silu-and-product": silu_and_product,
    "conv1d": conv1d, "rope": rope, "embedding": embedding, "cross-entropy": cross_entropy, "scan": scan,
    "attention": attention, "adam": adam,
}


def build(entry, device, grad):
    kernel = entry["kernel"]
    if kernel not in BUILDERS:
        raise Unsupported(f"no builder for kernel {kernel!r}")
    dtype_name = entry["dtypes"]["activations"]
    if entry["dtypes"]["weights"] != dtype_name:
        raise Unsupported(f"{entry['dtypes']['weights']} weights with {dtype_name} activations are not implemented")
    if dtype_name not in DTYPES:
        raise Unsupported(f"dtype {dtype_name} is not implemented")
    return BUILDERS[kernel](entry["shape"], DTYPES[dtype_name], device, grad, entry.get("implementation"))


def estimated_bytes(entry):
    """A rough upper bound on the memory a kernel needs, to skip what cannot fit."""
    predicted = entry["predicted"]["bytes"]
    shape = entry["shape"]
    if entry["kernel"] == "attention" and entry.get("implementation") == "dense":
        predicted += 8 * shape["batch"] * shape["heads"] * shape["queries"] * shape["keysRead"]
    if entry["kernel"] == "adam":
        predicted = 20 * shape["params"]
    return predicted * (3 if entry["pass"] == "backward" else 1.5)
