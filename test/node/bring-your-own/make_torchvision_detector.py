"""torchvision detection models as users export them, built here with Debian's python3-torchvision (seeded random
weights: weights=None, weights_backbone=None, no downloads), exported to ONNX with the list-of-images input traced as
one [3,H,W] image. Small input sizes and candidate counts keep the tests quick; thresholds are lowered so random
weights still produce boxes. Writes model.onnx and labels.json (torchvision's COCO_V1 categories).

  /usr/bin/python3 make_torchvision_detector.py --arch fasterrcnn_resnet50_fpn --size 256 --out DIR
"""
import argparse, json, os
import torch, torchvision
from torchvision.models import detection

p = argparse.ArgumentParser()
p.add_argument('--arch', required=True, choices=['fasterrcnn_resnet50_fpn', 'retinanet_resnet50_fpn'])
p.add_argument('--size', type=int, default=256)
p.add_argument('--out', required=True)
a = p.parse_args()
torch.manual_seed(0)
common = dict(weights=None, weights_backbone=None, min_size=a.size, max_size=a.size)
if a.arch == 'fasterrcnn_resnet50_fpn':
    m = detection.fasterrcnn_resnet50_fpn(**common, box_score_thresh=0.0, rpn_pre_nms_top_n_test=300, rpn_post_nms_top_n_test=100,
                                          box_detections_per_img=50)
    categories = detection.FasterRCNN_ResNet50_FPN_Weights.COCO_V1.meta['categories']
else:
    m = detection.retinanet_resnet50_fpn(**common, score_thresh=0.0, topk_candidates=100, detections_per_img=50)
    categories = detection.RetinaNet_ResNet50_FPN_Weights.COCO_V1.meta['categories']
m.eval()
x = torch.rand(3, a.size, a.size)
with torch.no_grad():
    names = list(m([x])[0].keys())  # dict order differs: Faster R-CNN boxes/labels/scores, RetinaNet boxes/scores/labels
torch.onnx.export(m, ([x],), os.path.join(a.out, 'model.onnx'), input_names=['image'], output_names=names, opset_version=11)
json.dump(categories, open(os.path.join(a.out, 'labels.json'), 'w'))
print('ok', torch.__version__, torchvision.__version__, names)
