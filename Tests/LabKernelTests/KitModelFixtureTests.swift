// The kit's own model (models/lab-stories-4m, trained by `lab train`: scripts/models/train_lab_stories.sh)
// against Hugging Face: `transformers` loads the folder unchanged and its logits equal the kit's
// within 1e-4 on a few texts, `tokenizers` reads its tokenizer.json to the same ids, and greedy
// decoding continues the same way. Fixtures: Tests/Fixtures/models/lab-stories-4m/, made by
// scripts/fixtures/make_kit_model_fixtures.py.

import Foundation
import XCTest
import LabKernel
import LabTestSupport

final class KitModelFixtureTests: XCTestCase {
    func testTransformersLoadsTheKitsModelAndAgrees() throws {
        let folder = RepositoryPaths.root.appendingPathComponent("models/lab-stories-4m", isDirectory: true)
        let loaded = try loadModel(folder: folder)
        let tokenizer = try XCTUnwrap(loaded.tokenizer)
        let reference = try Fixture.load("models/lab-stories-4m/reference.json")
        let logits = try SafetensorsFile(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("models/lab-stories-4m/reference.safetensors"))
        for (i, item) in try reference.cases("cases").enumerated() {
            let ids = try item.ints("ids")
            XCTAssertEqual(tokenizer.encode(try item.string("text")), ids, "tokenizers' ids for case \(i)")
            // Float32 on both sides, different summation orders: measured differences are ~1e-5 on logits of size ~10.
            assertClose(loaded.model.forward(tokens: ids), try logits.tensor("logits.\(i)"), tolerance: 1e-4, "logits of case \(i)")
        }
        let greedy = try reference.object("greedy")
        XCTAssertEqual(loaded.model.greedyContinuation(of: try greedy.ints("prompt"), count: try greedy.int("new_tokens")),
                       try greedy.ints("continuation"))
    }
}
