import XCTest
@testable import LabKernel
final class SmokeTests: XCTestCase { func testShape() { XCTAssertEqual(Tensor.zeros([2,3]).shape, [2,3]) } }
