"""Keras (channels-last) copies of torchvision ResNet-18/34 (basic blocks) and ResNet-50/101/152 v1.5 (bottlenecks with
the stride in the 3x3 conv), with torch weights copied in by state-dict name.

Padding matches torch's symmetric padding: stride-1 convs use 'same' (for odd kernels that is the same symmetric pad),
stride-2 convs and the stem max-pool get an explicit ZeroPadding2D and 'valid' (TF's 'same' would pad only bottom/right
there). Zero-padding before the max-pool equals torch's -inf padding because its input is a ReLU output (>= 0).
BatchNorm layers keep torch's running statistics and eps 1e-5; the TFLite converter folds them into the convs.
"""
import numpy as np

DEPTHS = {'resnet18': (2, 2, 2, 2), 'resnet34': (3, 4, 6, 3), 'resnet50': (3, 4, 6, 3), 'resnet101': (3, 4, 23, 3), 'resnet152': (3, 8, 36, 3)}


def build_resnet(arch, size=224, num_classes=1000):
    """Returns a keras.Model (input NHWC float32 [1, size, size, 3]) whose layer names are torch state-dict prefixes."""
    import keras
    from keras import layers

    bottleneck = arch in ('resnet50', 'resnet101', 'resnet152')

    def conv_bn(x, cout, k, stride, name, relu=True):
        if stride > 1 and k > 1:
            x = layers.ZeroPadding2D(k // 2, name=f'{name}.pad')(x)
        pad = 'valid' if stride > 1 or k == 1 else 'same'
        x = layers.Conv2D(cout, k, strides=stride, padding=pad, use_bias=False, name=name)(x)
        x = layers.BatchNormalization(epsilon=1e-5, name=name.replace('conv', 'bn').replace('downsample.0', 'downsample.1'))(x)
        return layers.ReLU()(x) if relu else x

    def block(x, width, stride, name, has_down):
        if bottleneck:
            y = conv_bn(x, width, 1, 1, f'{name}.conv1')
            y = conv_bn(y, width, 3, stride, f'{name}.conv2')
            y = conv_bn(y, width * 4, 1, 1, f'{name}.conv3', relu=False)
        else:
            y = conv_bn(x, width, 3, stride, f'{name}.conv1')
            y = conv_bn(y, width, 3, 1, f'{name}.conv2', relu=False)
        identity = conv_bn(x, width * (4 if bottleneck else 1), 1, stride, f'{name}.downsample.0', relu=False) if has_down else x
        return layers.ReLU()(layers.Add()([y, identity]))

    inp = keras.Input((size, size, 3), batch_size=1, name='input')
    x = conv_bn(inp, 64, 7, 2, 'conv1')
    x = layers.ZeroPadding2D(1, name='maxpool.pad')(x)
    x = layers.MaxPooling2D(3, 2, name='maxpool')(x)
    cin = 64
    for li, (width, n) in enumerate(zip((64, 128, 256, 512), DEPTHS[arch])):
        for bi in range(n):
            stride = 2 if li > 0 and bi == 0 else 1
            cout = width * (4 if bottleneck else 1)
            x = block(x, width, stride, f'layer{li + 1}.{bi}', bi == 0 and (stride != 1 or cin != cout))
            cin = cout
    x = layers.GlobalAveragePooling2D(name='avgpool')(x)
    out = layers.Dense(num_classes, name='fc')(x)
    return keras.Model(inp, out, name=arch)


def load_torch_weights(model, weights):
    """Copies `weights` (torch state-dict name -> array) into `model`: conv OIHW -> HWIO, linear (out, in) -> (in, out)."""
    from keras import layers

    used = set()
    for layer in model.layers:
        n = layer.name
        if isinstance(layer, layers.Conv2D):
            arrays = [weights[f'{n}.weight'].transpose(2, 3, 1, 0)]
            used.add(f'{n}.weight')
        elif isinstance(layer, layers.BatchNormalization):
            keys = [f'{n}.weight', f'{n}.bias', f'{n}.running_mean', f'{n}.running_var']
            arrays = [weights[k] for k in keys]
            used.update(keys)
        elif isinstance(layer, layers.Dense):
            arrays = [weights[f'{n}.weight'].T, weights[f'{n}.bias']]
            used.update([f'{n}.weight', f'{n}.bias'])
        else:
            continue
        for have, new in zip(layer.get_weights(), arrays):
            if have.shape != new.shape:
                raise ValueError(f'{n}: keras shape {have.shape} vs torch {new.shape}')
        layer.set_weights([np.ascontiguousarray(a, dtype=np.float32) for a in arrays])
    unused = sorted(set(weights) - used)
    if unused:
        raise ValueError(f'torch arrays not copied into the keras model: {unused[:5]}...')


def count_macs(model):
    """Multiply-accumulates of one inference: every Conv2D (out H*W*Cout*kh*kw*Cin) and Dense (in*out)."""
    from keras import layers

    macs = 0
    for layer in model.layers:
        if isinstance(layer, layers.Conv2D):
            _, h, w, cout = layer.output.shape
            kh, kw, cin, _ = layer.kernel.shape
            macs += h * w * cout * kh * kw * cin
        elif isinstance(layer, layers.Dense):
            cin, cout = layer.kernel.shape
            macs += cin * cout
    return int(macs)
