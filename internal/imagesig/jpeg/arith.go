package jpeg

type arithDecoder struct{}

func (d *decoder) startPassArith()                    { d.unsupported("arithmetic coding not implemented yet") }
func (d *decoder) arithRestart()                      {}
func (d *decoder) decodeMCUArithSeq()                 {}
func (d *decoder) decodeMCUArith(blocks []*[64]int16) {}
