import FlowrelValue
import GoTemplate
import Testing

@testable import HelmFunctions
