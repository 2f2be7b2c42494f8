"""Makes selfie_segmentation_landscape.tflite here from the one in @mediapipe/selfie_segmentation.

The npm package ships the model without TFLite metadata, and @mediapipe/tasks-vision's ImageSegmenter
refuses a float32 input without NormalizationOptions ("Input tensor has type float32: it requires
specifying NormalizationOptions metadata"). This adds that metadata (pixels / 255, as MediaPipe's own
selfie segmentation graph feeds the model) and the two labels; the weights are unchanged.

Run with tflite-support 0.4.4 (`pip install tflite-support==0.4.4`, Python 3.11) from react-ui/:
    python src/media/models/add_metadata.py
"""

import pathlib
import tempfile

from tflite_support.metadata_writers import image_segmenter, writer_utils

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE.parents[2] / "node_modules/@mediapipe/selfie_segmentation/selfie_segmentation_landscape.tflite"

with tempfile.TemporaryDirectory() as folder:
    labels = pathlib.Path(folder) / "labels.txt"
    labels.write_text("background\nperson\n", encoding="utf-8")
    writer = image_segmenter.MetadataWriter.create_for_inference(
        writer_utils.load_file(str(SOURCE)), [0.0], [255.0], [str(labels)])
    writer_utils.save_file(writer.populate(), str(HERE / SOURCE.name))
